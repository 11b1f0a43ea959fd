from __future__ import annotations

from studio.cli import main

raise SystemExit(main())
