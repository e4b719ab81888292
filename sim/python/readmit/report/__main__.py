"""`python3 -m readmit.report DIR --into NEW_FOLDER`: see readmit.report."""
import sys

from . import main

sys.exit(main())
