"""``python -m gategrad ...`` runs the command without installing the console script."""

import sys

from .cli import main

sys.exit(main())
