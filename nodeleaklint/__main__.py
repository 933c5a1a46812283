from nodeleaklint.cli import main

main()
