import sys

from associate_app.cli import main

sys.exit(main())
