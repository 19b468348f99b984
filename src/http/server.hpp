// HTTP/1.1 server on Boost.Beast. Handlers run on a pool of I/O threads.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>

#include "http/message.hpp"

namespace vg::http {

struct ServerOptions {
    std::string host = "127.0.0.1";
    unsigned short port = 8080;
    int threads = 4;
    std::size_t body_limit = 64 * 1024;  // a booking is < 4 KiB; anything far larger is hostile
    int idle_timeout_seconds = 30;
    int shutdown_grace_seconds = 20;
    bool access_log = true;
    // Added to every response (security headers); set by the application.
    std::vector<std::pair<std::string, std::string>> default_headers;
};

class Server {
  public:
    using Handler = std::function<Response(Request&)>;
    Server(ServerOptions options, Handler handler);
    ~Server();
    // Binds; throws with a clear message when the address is unusable.
    void listen();
    unsigned short port() const;
    // Blocks until stop() or SIGTERM/SIGINT; then stops accepting, waits for in-flight
    // requests (bounded by the grace period) and returns.
    void run();
    void stop();

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace vg::http
