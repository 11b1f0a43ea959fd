"""The bundled `studio` command line. A frozen program cannot run `python -m MODULE`, so the
child-process guardian (Linux, macOS), started as `sys.executable -m studio.io.guardian`, is
run from here when asked that way."""

import sys

if sys.argv[1:3] == ["-m", "studio.io.guardian"]:
    from studio.io.guardian import main as guardian

    guardian()
    raise SystemExit(0)

from studio.cli import main

raise SystemExit(main())
