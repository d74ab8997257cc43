from prize.cli import main

main()
