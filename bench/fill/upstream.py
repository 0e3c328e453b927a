"""bench/fill's distant upstream: python3 -m http.server over the tree, each answer held back DELAY_MS first (the round
trip to an index across the internet, which loopback does not have). Logs requests to stderr as http.server does.
Usage: upstream.py DIRECTORY PORT DELAY_MS"""
import functools, http.server, sys, time

directory, port, delay = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]) / 1000


class Handler(http.server.SimpleHTTPRequestHandler):
    def do_GET(self):
        time.sleep(delay)
        super().do_GET()


http.server.ThreadingHTTPServer(("127.0.0.1", port), functools.partial(Handler, directory=directory)).serve_forever()
