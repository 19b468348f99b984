#include "http/server.hpp"

#include <utility>
// Asio after <utility> (Boost 1.74 + GCC 12).
#include <spdlog/spdlog.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <thread>

namespace vg::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string lower(std::string s) {
    for (auto& c : s) c = char(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string path_of(const std::string& target) {
    auto q = target.find('?');
    return target.substr(0, q);
}

}  // namespace

struct Server::Impl {
    ServerOptions opt;
    Server::Handler handler;
    asio::io_context io;
    tcp::acceptor acceptor{io};
    asio::signal_set signals{io, SIGINT, SIGTERM};
    std::atomic<int> in_flight{0};
    std::atomic<bool> stopping{false};

    Impl(ServerOptions o, Server::Handler h) : opt(std::move(o)), handler(std::move(h)) {}

    // One connection: read a request, answer it, repeat while keep-alive.
    struct Session : std::enable_shared_from_this<Session> {
        Impl& srv;
        beast::tcp_stream stream;
        beast::flat_buffer buffer;
        std::optional<bhttp::request_parser<bhttp::string_body>> parser;
        std::shared_ptr<bhttp::response<bhttp::string_body>> res;
        std::string remote;

        Session(Impl& s, tcp::socket sock) : srv(s), stream(std::move(sock)) {
            beast::error_code ec;
            auto ep = stream.socket().remote_endpoint(ec);
            if (!ec) remote = ep.address().to_string();
        }

        void start() { read(); }

        void read() {
            parser.emplace();
            parser->body_limit(srv.opt.body_limit);
            parser->header_limit(16 * 1024);
            stream.expires_after(std::chrono::seconds(srv.opt.idle_timeout_seconds));
            bhttp::async_read(stream, buffer, *parser,
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                  self->on_read(ec);
                              });
        }

        void on_read(beast::error_code ec) {
            if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
                ec == asio::error::operation_aborted) {
                return close();
            }
            if (ec == bhttp::error::body_limit) {
                return send_error(413, "Request body too large / Requête trop volumineuse");
            }
            if (ec) {
                if (ec == bhttp::error::header_limit)
                    return send_error(431, "Request header fields too large");
                return send_error(400, "Malformed request / Requête mal formée");
            }
            srv.in_flight++;
            auto started = std::chrono::steady_clock::now();
            auto req = parser->release();
            Request r;
            r.method = std::string(req.method_string());
            r.target = std::string(req.target());
            r.path = path_of(r.target);
            auto qpos = r.target.find('?');
            if (qpos != std::string::npos) r.query = parse_urlencoded(r.target.substr(qpos + 1));
            for (auto& f : req)
                r.headers[lower(std::string(f.name_string()))] = std::string(f.value());
            r.body = std::move(req.body());
            r.remote_ip = remote;
            Response out;
            try {
                out = srv.handler(r);
            } catch (const std::exception& e) {
                spdlog::error("handler failed on {} {}: {}", r.method, r.route, e.what());
                out = Response::text(500, "Internal error / Erreur interne");
            }
            bool keep = req.keep_alive() && !srv.stopping;
            auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                started)
                          .count();
            // Route pattern only: paths may carry tokens, queries may carry personal data.
            if (srv.opt.access_log)
                spdlog::info("{} {} {} {:.1f}ms", r.method, r.route.empty() ? "-" : r.route,
                             out.status, ms);
            write(std::move(out), keep, r.method == "HEAD", req.version());
        }

        void write(Response out, bool keep, bool head, unsigned version) {
            res = std::make_shared<bhttp::response<bhttp::string_body>>(bhttp::status(out.status),
                                                                        version);
            res->set(bhttp::field::server, "visioguichet");
            res->set(bhttp::field::content_type, out.content_type);
            for (auto& [k, v] : srv.opt.default_headers) res->set(k, v);
            for (auto& [k, v] : out.headers) res->insert(k, v);
            res->keep_alive(keep);
            res->body() = std::move(out.body);
            res->prepare_payload();
            if (head) res->body().clear();
            bhttp::async_write(
                stream, *res, [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
                    self->srv.in_flight--;
                    if (ec || !keep) return self->close();
                    self->read();
                });
        }

        void send_error(int status, const char* msg) {
            srv.in_flight++;
            spdlog::info("- (rejected) {}", status);
            write(Response::text(status, msg), false, false, 11);
        }

        void close() {
            beast::error_code ec;
            stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        }
    };

    void accept() {
        acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket s) {
            if (ec) {
                if (ec == asio::error::operation_aborted) return;
                spdlog::warn("accept failed: {}", ec.message());
            } else {
                std::make_shared<Session>(*this, std::move(s))->start();
            }
            if (!stopping) accept();
        });
    }
};

Server::Server(ServerOptions options, Handler handler)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler))) {}

Server::~Server() = default;

void Server::listen() {
    beast::error_code ec;
    auto addr = asio::ip::make_address(impl_->opt.host, ec);
    if (ec) throw std::runtime_error("invalid listen address '" + impl_->opt.host + "'");
    tcp::endpoint ep{addr, impl_->opt.port};
    auto& a = impl_->acceptor;
    a.open(ep.protocol(), ec);
    if (!ec) a.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) a.bind(ep, ec);
    if (!ec) a.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        throw std::runtime_error("cannot listen on " + impl_->opt.host + ":" +
                                 std::to_string(impl_->opt.port) + ": " + ec.message());
}

unsigned short Server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void Server::run() {
    auto& d = *impl_;
    d.signals.async_wait([this](beast::error_code ec, int) {
        if (!ec) stop();
    });
    d.accept();
    std::vector<std::thread> pool;
    for (int i = 1; i < std::max(1, d.opt.threads); ++i) pool.emplace_back([&d] { d.io.run(); });
    d.io.run();
    for (auto& t : pool) t.join();
}

void Server::stop() {
    auto& d = *impl_;
    if (d.stopping.exchange(true)) return;
    spdlog::info("shutting down: no new connections, finishing requests in flight");
    asio::post(d.io, [&d] {
        beast::error_code ec;
        d.acceptor.close(ec);
        d.signals.cancel(ec);
    });
    // Wait for in-flight requests (their transactions commit), then stop the loop: idle
    // keep-alive connections are simply dropped.
    std::thread([&d] {
        auto deadline =
            std::chrono::steady_clock::now() + std::chrono::seconds(d.opt.shutdown_grace_seconds);
        while (d.in_flight > 0 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        d.io.stop();
    }).detach();
}

}  // namespace vg::http
