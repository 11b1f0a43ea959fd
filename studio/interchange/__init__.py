"""Bridges to other editors' formats. Each is one plain module."""
