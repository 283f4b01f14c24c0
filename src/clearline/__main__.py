from clearline.config.cli import main

main()
