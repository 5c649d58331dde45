from stafett.cli import main

main()
