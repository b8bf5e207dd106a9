from readinglist.entry import main

raise SystemExit(main())
