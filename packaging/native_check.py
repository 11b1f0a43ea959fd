"""`studio-app --check-native`: inside the bundle, the libraries linux_libs.py builds in place
of OpenCV's OpenBLAS and Qt's ICU data answer as the originals do. The smoke test runs it
(smoke.py); a wrong forwarding or a missing ICU item shows here, not as a wrong number in an
effect or a file dialog sorting oddly months later.

- cv2's matrix routines (products, solve by LU, Cholesky, QR and SVD, invert, determinant,
  SVD), on matrices above OpenCV's small-size thresholds so its LAPACK path runs, against
  numpy in float64.
- Qt's ICU (Linux: elsewhere Qt uses the system's text services): German collation (Ä sorts
  before Z), a time zone's name, a Shift_JIS decoder.
"""

from __future__ import annotations

import sys
from typing import Any

SIZE = 160  # OpenCV hands matrices over 100 (LU, Cholesky, products) or 25 (SVD) to LAPACK


def matrix_errors() -> dict[str, float]:
    """The largest relative error of each cv2 routine against numpy, by name."""
    import cv2
    import numpy as np

    rng = np.random.default_rng(7)
    errors = {}
    for kind in (np.float32, np.float64):
        a = rng.standard_normal((SIZE, SIZE)) + SIZE * np.eye(SIZE)
        b = rng.standard_normal((SIZE, 3))
        spd = a @ a.T
        for flag, name, matrix in (
            (cv2.DECOMP_LU, "LU", a),
            (cv2.DECOMP_CHOLESKY, "Cholesky", spd),
            (cv2.DECOMP_QR, "QR", a),
            (cv2.DECOMP_SVD, "SVD", a),
        ):
            _, x = cv2.solve(matrix.astype(kind), b.astype(kind), flags=flag)
            errors[f"solve {name} {kind.__name__}"] = _error(x, np.linalg.solve(matrix, b))
            if flag != cv2.DECOMP_QR:  # invert takes LU, Cholesky and SVD
                _, inverse = cv2.invert(matrix.astype(kind), flags=flag)
                errors[f"invert {name} {kind.__name__}"] = _error(inverse, np.linalg.inv(matrix))
        small = a[:120, :120] / SIZE
        found = cv2.determinant(small.astype(kind))
        errors[f"determinant {kind.__name__}"] = _error(found, np.linalg.det(small))
        values = cv2.SVDecomp(a.astype(kind))[0].ravel()
        errors[f"SVD {kind.__name__}"] = _error(values, np.linalg.svd(a, compute_uv=False))
        added: Any = np.ones((SIZE, 3), kind)  # times beta = 0.5
        product = cv2.gemm(a.astype(kind), b.astype(kind), 1.0, added, 0.5)
        errors[f"product {kind.__name__}"] = _error(product, a @ b + 0.5)
        errors[f"complex product {kind.__name__}"] = _complex_product_error(a, kind)
    return errors


def _complex_product_error(a: Any, kind: Any) -> float:
    import cv2
    import numpy as np

    z = a[:, :130] + 1j * a[:, 1:131]
    planes: Any = np.dstack([z.real, z.imag]).astype(kind)
    nothing: Any = np.zeros((SIZE, SIZE, 2), kind)
    found = cv2.gemm(planes, np.ascontiguousarray(planes.transpose(1, 0, 2)), 1.0, nothing, 0.0)
    return _error(found[..., 0] + 1j * found[..., 1], z @ z.T)


def _error(found: object, expected: object) -> float:
    import numpy as np

    found, expected = np.asarray(found, np.complex128), np.asarray(expected, np.complex128)
    return float(np.abs(found - expected).max() / np.abs(expected).max())


def icu_answers() -> dict[str, object]:
    """What Qt's ICU says to the questions Qt asks it."""
    from PySide6.QtCore import QCollator, QLocale, QStringDecoder, QTimeZone

    german = QCollator(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    zone = QTimeZone(b"Europe/Berlin")
    standard = QTimeZone.TimeType.StandardTime
    return {
        "collation": sorted(["Zebra", "Äpfel", "apfel"], key=german.sortKey),
        "zone": zone.displayName(standard, QTimeZone.NameType.LongName, QLocale("en_US")),
        "codec": QStringDecoder("Shift_JIS").isValid(),
    }


def main() -> int:
    errors = matrix_errors()
    worst = max(errors, key=errors.__getitem__)
    failed = [name for name, error in errors.items() if error > 1e-3]
    said = f"matrix routines: {len(errors)}, worst {worst} {errors[worst]:.1e}"
    if failed:
        said += f"; wrong: {failed}"
    if sys.platform.startswith("linux"):  # Qt brings ICU (trimmed) on Linux only
        icu = icu_answers()
        said += f"; ICU: {icu}"
        collated = icu["collation"] == ["apfel", "Äpfel", "Zebra"]
        failed += (
            [] if collated and icu["codec"] and "Central European" in str(icu["zone"]) else ["ICU"]
        )
    print(said)
    return 1 if failed else 0
