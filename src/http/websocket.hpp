// WebSocket endpoints, framework-free: the server (server.cpp, the only file that includes
// Beast) upgrades a request when ServerOptions::websocket accepts it, then hands the
// application's endpoint its text messages; the endpoint answers through its connection.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "http/message.hpp"

namespace vg::http {

// The server's side of one WebSocket connection. Every member is thread-safe: messages are
// queued and written in order on the connection's strand.
class WebSocketConnection {
  public:
    virtual ~WebSocketConnection() = default;
    // Queues one text message. A client that does not read (queue_limit messages waiting)
    // is closed (1008).
    virtual void send(std::string text) = 0;
    // Closes with this code (1000 normal, 1008 policy, ...) after the messages queued
    // before; later sends are dropped.
    virtual void close(int code, std::string reason = {}) = 0;
};

// The application's side of one connection, made by the acceptor. Calls come one at a time
// for one connection, in order, from the server's threads.
class WebSocketEndpoint {
  public:
    virtual ~WebSocketEndpoint() = default;
    // Once, when the handshake is done, before any message.
    virtual void on_open(const std::shared_ptr<WebSocketConnection>& connection) = 0;
    // One complete message (at most WebSocketAccept::max_message bytes: larger ones close
    // the connection with 1009 before reaching here). text: false for a binary message.
    virtual void on_message(std::string message, bool text) = 0;
    // Once, when the connection is gone (closed by either side, failed, timed out). Not
    // called when the server stops (the process is ending).
    virtual void on_close() = 0;
};

// What the acceptor answers for an upgrade request: a refusal (an HTTP response, e.g. 403
// or 404), or an endpoint for the connection.
struct WebSocketAccept {
    std::optional<Response> refusal;
    std::shared_ptr<WebSocketEndpoint> endpoint;
    std::size_t max_message = 64 * 1024;
    // Closed with 1008 when no message arrived this long after the handshake (0: never).
    int first_message_seconds = 10;
    // Messages queued for a client that does not read before it is closed.
    std::size_t queue_limit = 1024;
};

// Called for every request that asks for a WebSocket upgrade (any path).
using WebSocketAcceptor = std::function<WebSocketAccept(Request&)>;

}  // namespace vg::http
