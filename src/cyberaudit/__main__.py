import sys

from cyberaudit.cli import main

sys.exit(main())
