"""A small therapy practice with typical mistakes, served on 127.0.0.1 for `cyberaudit demo` and tests."""

from cyberaudit.demo_practice.practice import LoopbackPractice, demo_practice

__all__ = ["LoopbackPractice", "demo_practice"]
