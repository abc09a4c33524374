from kinsight.cli import main

raise SystemExit(main())
