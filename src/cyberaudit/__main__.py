from cyberaudit.cli.main import main

main()
