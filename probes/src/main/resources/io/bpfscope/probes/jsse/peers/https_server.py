# The jsse probe's test and benchmark server: HTTPS over Python's ssl module (OpenSSL), HTTP/1.1
# keep-alive; GET /NAME answers "reply:NAME", GET /size/N answers N bytes. Args: cert.pem key.pem.
# Prints "PORT n" when listening.
import http.server, ssl, sys

class Reply(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body in one write, no Nagle: else a delayed ACK costs 40 ms a request.
    wbufsize = 1 << 16
    disable_nagle_algorithm = True

    def do_GET(self):
        if self.path.startswith("/size/"):
            body = b"x" * min(int(self.path[len("/size/"):]), 1 << 24)
        else:
            body = ("reply:" + self.path[1:]).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass

server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Reply)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[1], sys.argv[2])
server.socket = context.wrap_socket(server.socket, server_side=True)
print("PORT", server.server_address[1], flush=True)
server.serve_forever()
