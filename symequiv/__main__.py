"""``python -m symequiv`` runs the command line."""

import sys

from .output.cli import main

sys.exit(main())
