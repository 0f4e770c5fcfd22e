import sys

from etl.cli import main

# Guarded: worker processes import this module under another name and must not run the CLI.
if __name__ == "__main__":
    sys.exit(main())
