"""``python -m pledge_analysis ...``: the same command line as ``pledge-analysis ...``."""
from .cli import main

raise SystemExit(main())
