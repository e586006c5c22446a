"""Real servers on the loopback interface, for `cyberaudit demo` and the tests.

They only ever bind to 127.0.0.0/8 or ::1: a scan of them sends no traffic anywhere else.
"""
