"""The stream fuzzer: a raw loopback HTTP server that says exactly the bytes it is told to."""
