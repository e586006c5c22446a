from cyberaudit.cli import main

main()
