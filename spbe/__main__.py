"""Allow `python -m spbe`."""

from spbe.cli import main

raise SystemExit(main())
