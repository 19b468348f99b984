// HTTP/1.1 server on Boost.Beast. Handlers run on a pool of I/O threads; the producers of
// streamed answers (Response::stream) each on a thread of their own (docs/ARCHITECTURE.md
// "Streamed answers").
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "http/address.hpp"
#include "http/message.hpp"
#include "http/websocket.hpp"

namespace vg::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    int threads = 4;
    std::size_t body_limit = 64 * 1024;  // a booking is < 4 KiB; anything far larger is hostile
    // A larger (or smaller) limit for some requests, decided from the method and target once
    // the headers are read (the administrator's logo upload); unset: body_limit for all.
    std::function<std::size_t(const std::string& method, const std::string& target)> body_limit_for;
    // The answer to a body over its limit, given the request's headers (its body empty);
    // unset: a plain-text 413. The connection is closed after it.
    std::function<Response(Request&)> too_large;
    // A connection waiting for a request (its first or the next keep-alive one) is closed
    // after this; and at once, the longest-waiting first, when the connections are at their
    // cap and a new client knocks.
    int idle_timeout_seconds = 10;
    // From the first byte of a request to its last, headers and body (slowloris).
    int request_timeout_seconds = 10;
    // Writing one answer, or one chunk of a streamed one (a client that does not read).
    int write_timeout_seconds = 30;
    // Streamed answers at once (each holds a producer thread, and a database read while it
    // runs); beyond, a 503. Their descriptors (a pooled database connection, a temporary
    // file) come out of reserved_files like the request threads'.
    std::size_t max_streams = 16;
    // The bytes a producer may write ahead of the socket (then it waits), and the size of the
    // chunks sent: at most about twice stream_buffer in memory per stream (the bytes being
    // sent, those written meanwhile), beside the socket's own buffer.
    std::size_t stream_buffer = 128 * 1024;
    std::size_t stream_chunk = 32 * 1024;
    // Connections held at once; beyond, new clients wait in the kernel's queue. Lowered at
    // listen() to what the open-files limit allows beside the files open then and
    // reserved_files more (database readers, outgoing mail).
    std::size_t max_connections = 4096;
    std::size_t reserved_files = 64;
    // Proxies whose X-Forwarded-For names the client (Request::remote_ip); default none.
    TrustedProxies trusted_proxies;
    int shutdown_grace_seconds = 20;
    bool access_log = true;
    // Counts each request in ops::metrics() (route pattern, status, time).
    bool count_requests = true;
    // Added to every response (security headers) unless the response sets that header
    // itself (a download's own Content-Security-Policy); set by the application.
    std::vector<std::pair<std::string, std::string>> default_headers;
    // Requests asking for a WebSocket upgrade go to it (http/websocket.hpp); unset: they are
    // handled as plain requests.
    WebSocketAcceptor websocket;
};

// Raises the soft limit of open files to the hard one (Debian's default soft limit, 1024, is
// far below what a server holding keep-alive connections needs); returns the soft limit.
std::uint64_t raise_open_files_limit();

class Server {
  public:
    using Handler = std::function<Response(Request&)>;
    Server(ServerOptions options, Handler handler);
    ~Server();
    // Binds; throws with a clear message when the address is unusable. Raises the open-files
    // limit and sets the connection cap (see ServerOptions::max_connections).
    void listen();
    unsigned short port() const;
    std::size_t max_connections() const;
    // Blocks until stop() or SIGTERM/SIGINT; then stops accepting, waits for in-flight
    // requests (bounded by the grace period) and returns.
    void run();
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vg::http
