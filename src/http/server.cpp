#include "http/server.hpp"

#include <utility>
// Asio after <utility> (Boost 1.74 + GCC 12).
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <limits>
#include <list>
#include <mutex>
#include <system_error>
#include <thread>

#include "http/log_throttle.hpp"
#include "http/stream.hpp"
#include "ops/log.hpp"
#include "ops/metrics.hpp"

namespace vg::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
namespace websocket = beast::websocket;
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

// Descriptors open in this process now.
std::size_t open_files() {
    std::error_code ec;
    std::size_t n = 0;
    for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
        ++n;
    return n;
}

bool out_of_descriptors(const beast::error_code& ec) {
    return ec == asio::error::no_descriptors ||
           ec == boost::system::errc::too_many_files_open_in_system ||
           ec == asio::error::no_buffer_space || ec == asio::error::no_memory;
}

}  // namespace

std::uint64_t raise_open_files_limit() {
    rlimit rl{};
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return 1024;
    if (rl.rlim_cur != rl.rlim_max) {
        auto before = rl.rlim_cur;
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0) rl.rlim_cur = before;
    }
    return rl.rlim_cur == RLIM_INFINITY ? std::uint64_t(1) << 20 : std::uint64_t(rl.rlim_cur);
}

struct Server::Impl {
    struct Session;
    struct WebSocketSession;
    ServerOptions opt;
    Server::Handler handler;
    std::size_t max_connections = 0;  // set by listen()
    // Declared before the io_context: sessions destroyed with it still find these.
    std::atomic<int> in_flight{0};
    std::atomic<bool> stopping{false};
    std::atomic<std::size_t> connections{0};
    LogThrottle log_throttle;
    // The streamed answers' producer threads, joined once done (when the next one starts, and
    // all when the server stops: they may use what the handlers use).
    struct StreamThread {
        std::shared_ptr<StreamChannel> channel;
        std::thread thread;
        std::atomic<bool> done{false};  // the thread's last act
    };
    std::mutex streams_mutex;
    std::list<StreamThread> streams;
    std::mutex idle_mutex;
    // Sessions waiting for a request or still receiving one, longest-waiting first.
    std::list<std::weak_ptr<Session>> idle;

    asio::io_context io;
    tcp::acceptor acceptor{io};
    asio::signal_set signals{io, SIGINT, SIGTERM};
    // Accepting, pausing and resuming happen on this strand.
    asio::strand<asio::io_context::executor_type> accept_strand{io.get_executor()};
    asio::steady_timer pause_timer{io};
    bool paused = false;            // on accept_strand
    std::uint64_t pause_round = 0;  // on accept_strand: tells stale wake-ups apart
    // Started by stop(): waits for the requests in flight, then stops the loop. Joined by
    // run() and by the destructor, never left running past this object.
    std::mutex stopper_mutex;
    std::thread stopper;

    Impl(ServerOptions o, Server::Handler h) : opt(std::move(o)), handler(std::move(h)) {}
    ~Impl() {
        stopping = true;
        join_stopper();
        end_streams();
    }

    // Streamed answers (docs/ARCHITECTURE.md "Streamed answers"). The producer runs on a
    // thread of its own, never on an I/O thread: it blocks on the database and on the
    // channel's bound (back-pressure), and an I/O thread must never wait for either. The
    // connection takes what the producer wrote, one chunk at a time, as the socket accepts it;
    // it never waits for the producer either (the channel wakes it). Null when at the cap.
    std::shared_ptr<StreamChannel> start_stream(Producer producer) {
        std::lock_guard lock(streams_mutex);
        std::size_t running = 0;
        for (auto it = streams.begin(); it != streams.end();) {
            if (it->done) {
                it->thread.join();  // it has returned, or is about to
                it = streams.erase(it);
            } else {
                ++running;
                ++it;
            }
        }
        if (stopping || running >= opt.max_streams) return nullptr;
        auto channel = std::make_shared<StreamChannel>(opt.stream_buffer, opt.stream_chunk);
        auto& entry = streams.emplace_back();
        entry.channel = channel;
        try {
            entry.thread = std::thread([channel, &done = entry.done, p = std::move(producer)] {
                try {
                    p(*channel);
                    channel->finish();
                } catch (...) {
                    channel->fail(std::current_exception());
                }
                done = true;
            });
        } catch (const std::system_error& e) {  // no thread to be had: like the cap
            warn_throttled("stream", "cannot start a streamed answer: {}", e.what());
            streams.pop_back();
            return nullptr;
        }
        return channel;
    }

    // Cancels every producer still running (their next write returns false) and waits for
    // them to return.
    void end_streams() {
        std::list<StreamThread> all;
        {
            std::lock_guard lock(streams_mutex);
            all.splice(all.end(), streams);
        }
        for (auto& s : all) s.channel->cancel();
        for (auto& s : all) s.thread.join();
    }

    void join_stopper() {
        std::thread t;
        {
            std::lock_guard lock(stopper_mutex);
            t = std::move(stopper);
        }
        if (t.joinable()) t.join();
    }

    // At most a few lines a second per kind of failure, with the count of those held back.
    template <class... Args>
    void warn_throttled(const char* kind, spdlog::format_string_t<Args...> fmt, Args&&... args) {
        auto held = log_throttle.admit(kind, std::chrono::steady_clock::now());
        if (!held) return;
        auto text = fmt::format(fmt, std::forward<Args>(args)...);
        if (*held)
            spdlog::warn("{} ({} similar messages not logged)", text, *held);
        else
            spdlog::warn("{}", text);
    }

    // The X-Request-Id a trusted proxy sent (when well-formed), else a new one.
    std::string request_id(const bhttp::request<bhttp::string_body>& req, const std::string& peer) {
        if (!opt.trusted_proxies.empty())
            if (auto it = req.find("X-Request-Id");
                it != req.end() && ops::acceptable_request_id(it->value()))
                if (auto ip = parse_ip(peer); ip && opt.trusted_proxies.trusts(*ip))
                    return std::string(it->value());
        return ops::new_request_id();
    }

    // One connection: wait for a request, read it, answer it, repeat while keep-alive.
    struct Session : std::enable_shared_from_this<Session> {
        Impl& srv;
        beast::tcp_stream stream;
        beast::flat_buffer buffer;
        std::optional<bhttp::request_parser<bhttp::string_body>> parser;
        std::shared_ptr<bhttp::response<bhttp::string_body>> res;
        std::string remote;
        // On the strand: waiting for a request or receiving it (not yet handled), so the
        // connection may be let go for a new client at the cap.
        bool waiting = false;
        // Position in srv.idle while listed there (guarded by srv.idle_mutex).
        std::optional<std::list<std::weak_ptr<Session>>::iterator> idle_pos;
        // Handed over to a WebSocketSession, which counts the connection from then on.
        bool upgraded = false;

        Session(Impl& s, tcp::socket sock) : srv(s), stream(std::move(sock)) {
            beast::error_code ec;
            auto ep = stream.socket().remote_endpoint(ec);
            if (!ec) {
                auto a = ep.address();
                if (a.is_v6() && a.to_v6().is_v4_mapped())
                    a = asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6());
                remote = a.to_string();
            }
        }
        ~Session() {
            if (streaming && streaming->channel) streaming->channel->cancel();
            srv.unlist_idle(*this);
            if (!upgraded) srv.connection_closed();
        }

        void start() {
            asio::dispatch(stream.get_executor(), [self = shared_from_this()] { self->read(); });
        }

        // Between requests: a connection that sends nothing, or trickles its request, costs a
        // descriptor only until the idle (request) timeout, or until a new client needs its
        // place.
        void read() {
            parser.emplace();
            // With a limit per request, none until its headers say which one applies: Beast
            // would check Content-Length against it in the middle of the headers, and the
            // answer (ServerOptions::too_large) needs them all (its language, Accept). The
            // Content-Length is checked once they are read, before any of the body.
            parser->body_limit(srv.opt.body_limit_for ? std::numeric_limits<std::uint64_t>::max()
                                                      : srv.opt.body_limit);
            parser->header_limit(16 * 1024);
            waiting = true;
            srv.list_idle(*this);
            if (buffer.size() > 0) return read_request();  // pipelined
            stream.expires_after(std::chrono::seconds(srv.opt.idle_timeout_seconds));
            stream.async_read_some(buffer.prepare(4096), [self = shared_from_this()](
                                                             beast::error_code ec, std::size_t n) {
                if (ec) {
                    self->stop_waiting();
                    return self->close();
                }
                self->buffer.commit(n);
                self->read_request();
            });
        }

        // From the first byte on, the whole request (headers and body) must arrive within
        // the request timeout: trickling it byte by byte does not hold the connection.
        void read_request() {
            stream.expires_after(std::chrono::seconds(srv.opt.request_timeout_seconds));
            if (!srv.opt.body_limit_for)
                return bhttp::async_read(
                    stream, buffer, *parser,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->on_read(ec);
                    });
            // The headers first: the limit of this request's body depends on its target.
            bhttp::async_read_header(
                stream, buffer, *parser,
                [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    if (ec) return self->on_read(ec);
                    auto& h = self->parser->get();
                    auto limit = self->srv.opt.body_limit_for(std::string(h.method_string()),
                                                              std::string(h.target()));
                    if (auto length = self->parser->content_length(); length && *length > limit)
                        return self->on_read(bhttp::error::body_limit);
                    self->parser->body_limit(limit);
                    bhttp::async_read(
                        self->stream, self->buffer, *self->parser,
                        [self](beast::error_code ec2, std::size_t) { self->on_read(ec2); });
                });
        }

        // Asked by the acceptor (any thread): close if its request has not all arrived yet.
        void evict() {
            asio::dispatch(stream.get_executor(), [self = shared_from_this()] {
                if (!self->waiting) {  // raced: its request is being handled; the next one
                    self->srv.evict_idle();
                    return;
                }
                beast::error_code ec;
                self->stream.socket().close(ec);
            });
        }

        // Its request arrived (or failed): no longer a candidate for eviction.
        void stop_waiting() {
            waiting = false;
            srv.unlist_idle(*this);
        }

        void on_read(beast::error_code ec) {
            stop_waiting();
            if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
                ec == asio::error::operation_aborted || !stream.socket().is_open()) {
                return close();
            }
            if (ec == bhttp::error::body_limit) {
                if (!srv.opt.too_large || !parser->is_header_done())
                    return send_error(413, "Request body too large / Requête trop volumineuse");
                auto& head = parser->get();
                head.body().clear();
                Request r = to_request(head);
                Response out;
                try {
                    out = srv.opt.too_large(r);
                } catch (const std::exception&) {
                    out = Response::text(413, "Request body too large / Requête trop volumineuse");
                }
                srv.in_flight++;
                spdlog::info("- (rejected) {}", out.status);
                return write(std::move(out), false, false, head.version());
            }
            if (ec) {
                if (ec == bhttp::error::header_limit)
                    return send_error(431, "Request header fields too large");
                return send_error(400, "Malformed request / Requête mal formée");
            }
            if (srv.opt.websocket && websocket::is_upgrade(parser->get())) return upgrade();
            srv.in_flight++;
            auto started = std::chrono::steady_clock::now();
            auto req = parser->release();
            Request r = to_request(req);
            ops::RequestScope scope(srv.request_id(req, remote));  // in every log line
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
            // Route pattern only: paths may carry tokens, queries may carry personal data. The
            // client as rate limits count it (behind a trusted proxy, the forwarded address).
            if (srv.opt.access_log)
                spdlog::info("{} {} {} {:.1f}ms client {}", r.method,
                             r.route.empty() ? "-" : r.route, out.status, ms, r.remote_ip);
            out.headers.emplace_back("X-Request-Id", ops::request_id());
            if (srv.opt.count_requests)
                ops::metrics().request(r.method, r.route, out.status, ms / 1e3);
            write(std::move(out), keep, r.method == "HEAD", req.version());
        }

        Request to_request(bhttp::request<bhttp::string_body>& req) const {
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
            if (!srv.opt.trusted_proxies.empty()) {
                // Every X-Forwarded-For header, in order, as one list.
                std::string forwarded;
                auto [from, to] = req.equal_range("X-Forwarded-For");
                for (auto it = from; it != to; ++it)
                    forwarded += (forwarded.empty() ? "" : ",") + std::string(it->value());
                r.remote_ip = srv.opt.trusted_proxies.client(remote, forwarded);
            }
            return r;
        }

        // A WebSocket upgrade request (http/websocket.hpp): the application's acceptor
        // refuses it (answered like any request, then closed) or gives the endpoint that the
        // new WebSocketSession, which takes over the connection, talks to.
        void upgrade() {
            auto req = parser->release();
            Request r = to_request(req);
            ops::RequestScope scope(srv.request_id(req, remote));  // in every log line
            WebSocketAccept accepted;
            try {
                accepted = srv.opt.websocket(r);
            } catch (const std::exception& e) {
                spdlog::error("websocket acceptor failed: {}", e.what());
                accepted.refusal = Response::text(500, "Internal error / Erreur interne");
            }
            if (accepted.refusal || !accepted.endpoint) {
                auto out = accepted.refusal.value_or(Response::text(404, "Not found"));
                if (srv.opt.access_log)
                    spdlog::info("{} (websocket) {} client {}", r.method, out.status, r.remote_ip);
                out.headers.emplace_back("X-Request-Id", ops::request_id());
                srv.in_flight++;
                return write(std::move(out), false, false, req.version());
            }
            if (srv.opt.access_log) spdlog::info("{} (websocket) 101", r.method);
            upgraded = true;  // the WebSocketSession holds the connection now
            std::make_shared<WebSocketSession>(srv, std::move(stream), std::move(accepted))
                ->run(std::move(req));
        }

        // The status and headers of an answer: the application's security headers unless it
        // sets one of them itself, then its own.
        template <class Message>
        void set_head(Message& res, const Response& out, bool keep) const {
            res.set(bhttp::field::server, "visioguichet");
            res.set(bhttp::field::content_type, out.content_type);
            for (auto& [k, v] : srv.opt.default_headers) {
                bool own = false;
                for (auto& h : out.headers) own = own || beast::iequals(h.first, k);
                if (!own) res.set(k, v);
            }
            for (auto& [k, v] : out.headers) res.insert(k, v);
            res.keep_alive(keep);
        }

        void write(Response out, bool keep, bool head, unsigned version) {
            if (out.stream) return write_stream(std::move(out), keep, head, version);
            res = std::make_shared<bhttp::response<bhttp::string_body>>(bhttp::status(out.status),
                                                                        version);
            set_head(*res, out, keep);
            res->body() = std::move(out.body);
            res->prepare_payload();
            if (head) res->body().clear();
            stream.expires_after(std::chrono::seconds(srv.opt.write_timeout_seconds));
            bhttp::async_write(
                stream, *res, [self = shared_from_this(), keep](beast::error_code ec, std::size_t) {
                    self->srv.in_flight--;
                    if (ec || !keep) return self->close();
                    self->read();
                });
        }

        // --- Streamed answers (Response::stream; Impl::start_stream) ---
        // The head waits for the producer's first chunk (or its end): until then a failure
        // can still be answered properly. Then chunks as the socket takes them, each within
        // the write timeout; a failed write or a timeout cancels the producer.
        struct Streaming {
            std::shared_ptr<StreamChannel> channel;
            bhttp::response<bhttp::empty_body> head;
            std::optional<bhttp::response_serializer<bhttp::empty_body>> serializer;
            std::string piece;  // being written
            bool head_sent = false;
            bool chunked = true;
            bool keep = false;
            unsigned version = 11;
            std::string request_id;
        };
        std::unique_ptr<Streaming> streaming;

        void write_stream(Response out, bool keep, bool head_only, unsigned version) {
            auto s = std::make_unique<Streaming>();
            // HTTP/1.0 has no chunks: the body ends when the connection closes.
            s->chunked = version >= 11;
            s->keep = keep && s->chunked;
            s->version = version;
            for (auto& [k, v] : out.headers)
                if (beast::iequals(k, "X-Request-Id")) s->request_id = v;
            s->head = bhttp::response<bhttp::empty_body>(bhttp::status(out.status), version);
            set_head(s->head, out, s->keep);
            if (s->chunked) s->head.chunked(true);
            if (head_only) {  // HEAD: the headers only, the producer does not run
                streaming = std::move(s);
                return send_head([self = shared_from_this()] { self->stream_done(); });
            }
            s->channel = srv.start_stream(std::move(out.stream));
            if (!s->channel) {
                auto busy = Response::text(503,
                                           "Too many downloads at once, try again later / "
                                           "Trop de téléchargements en cours, réessayez");
                busy.header("Retry-After", "10").header("X-Request-Id", s->request_id);
                return write(std::move(busy), keep, false, version);
            }
            streaming = std::move(s);
            pump();
        }

        // On the strand: the next thing to send, or wait for the producer.
        void pump() {
            auto& s = *streaming;
            auto state =
                s.channel->take(s.piece, [self = shared_from_this(), ex = stream.get_executor()] {
                    asio::post(ex, [self] { self->pump(); });
                });
            using State = StreamChannel::State;
            if (state == State::waiting) return;
            if (state == State::failed) return stream_failed();
            if (!s.head_sent)
                return send_head([self = shared_from_this(), state] { self->send_body(state); });
            send_body(state);
        }

        void send_head(std::function<void()> then) {
            auto& s = *streaming;
            s.head_sent = true;
            s.serializer.emplace(s.head);
            stream.expires_after(std::chrono::seconds(srv.opt.write_timeout_seconds));
            bhttp::async_write_header(stream, *s.serializer,
                                      [self = shared_from_this(), then = std::move(then)](
                                          beast::error_code ec, std::size_t) {
                                          if (ec) return self->stream_broken();
                                          then();
                                      });
        }

        void send_body(StreamChannel::State state) {
            auto& s = *streaming;
            auto next = [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return self->stream_broken();
                self->pump();
            };
            stream.expires_after(std::chrono::seconds(srv.opt.write_timeout_seconds));
            if (state == StreamChannel::State::data) {
                if (s.chunked)
                    return asio::async_write(stream, bhttp::make_chunk(asio::buffer(s.piece)),
                                             std::move(next));
                return asio::async_write(stream, asio::buffer(s.piece), std::move(next));
            }
            if (!s.chunked) return stream_done();  // finished
            asio::async_write(stream, bhttp::make_chunk_last(),
                              [self = shared_from_this()](beast::error_code ec, std::size_t) {
                                  if (ec) return self->stream_broken();
                                  self->stream_done();
                              });
        }

        // All sent (or HEAD's headers): the connection goes on like after any answer.
        void stream_done() {
            bool keep = streaming->keep;
            streaming.reset();
            srv.in_flight--;
            if (!keep) return close();
            read();
        }

        // The client is gone or does not read (write failed or timed out): the producer
        // stops, its buffers and database read are freed, the connection is closed.
        void stream_broken() {
            if (streaming->channel) streaming->channel->cancel();
            streaming.reset();
            srv.in_flight--;
            beast::error_code ec;
            stream.socket().close(ec);
        }

        // The producer threw: before the head, a proper answer (the Refusal's, or a 500);
        // after it, the connection is cut so that the client sees an incomplete body.
        void stream_failed() {
            auto& s = *streaming;
            Response out = Response::text(500, "Internal error / Erreur interne");
            try {
                std::rethrow_exception(s.channel->error());
            } catch (const Refusal& r) {
                out = r.response;
            } catch (const std::exception& e) {
                spdlog::error("streamed answer failed{}: {}", s.head_sent ? " midway" : "",
                              e.what());
            } catch (...) {
                spdlog::error("streamed answer failed");
            }
            if (s.head_sent) {
                streaming.reset();
                srv.in_flight--;
                beast::error_code ec;
                stream.socket().close(ec);
                return;
            }
            bool keep = s.keep;
            auto version = s.version;
            out.stream = nullptr;
            out.headers.emplace_back("X-Request-Id", s.request_id);
            streaming.reset();
            write(std::move(out), keep, false, version);  // counts the end of the request
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

    // One WebSocket connection after the upgrade (http/websocket.hpp): reads messages one
    // at a time and gives them to the endpoint; writes queued messages in order; Beast's
    // suggested server timeouts (handshake and close 30 s, pings when idle, closed after
    // 300 s without an answer) and the acceptor's message size limit (1009 beyond).
    struct WebSocketSession : std::enable_shared_from_this<WebSocketSession>, WebSocketConnection {
        Impl& srv;
        websocket::stream<beast::tcp_stream> ws;
        beast::flat_buffer buffer;
        WebSocketAccept accepted;
        asio::steady_timer first_message;
        // On the strand of the connection:
        std::deque<std::string> queue;
        bool writing = false;
        bool closing = false;  // close() asked: sent once the queue is written
        bool close_sent = false;
        bool finished = false;  // the read loop ended: on_close called
        bool got_message = false;
        websocket::close_reason reason;

        WebSocketSession(Impl& s, beast::tcp_stream stream, WebSocketAccept a)
            : srv(s),
              ws(std::move(stream)),
              accepted(std::move(a)),
              first_message(ws.get_executor()) {}
        ~WebSocketSession() override { srv.connection_closed(); }

        void run(bhttp::request<bhttp::string_body> req) {
            beast::get_lowest_layer(ws).expires_never();
            ws.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
            ws.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
                res.set(bhttp::field::server, "visioguichet");
            }));
            ws.read_message_max(accepted.max_message);
            auto r = std::make_shared<bhttp::request<bhttp::string_body>>(std::move(req));
            ws.async_accept(*r, [self = shared_from_this(), r](beast::error_code ec) {
                if (ec) return;
                self->accepted.endpoint->on_open(self);
                if (self->accepted.first_message_seconds > 0) {
                    self->first_message.expires_after(
                        std::chrono::seconds(self->accepted.first_message_seconds));
                    self->first_message.async_wait([self](beast::error_code e) {
                        if (!e && !self->got_message) self->close_now(1008, "first message");
                    });
                }
                self->read();
            });
        }

        void read() {
            ws.async_read(buffer, [self = shared_from_this()](beast::error_code ec, std::size_t) {
                if (ec) return self->end();
                self->got_message = true;
                self->first_message.cancel();
                auto message = beast::buffers_to_string(self->buffer.data());
                self->buffer.consume(self->buffer.size());
                try {
                    self->accepted.endpoint->on_message(std::move(message), self->ws.got_text());
                } catch (const std::exception& e) {
                    spdlog::error("websocket endpoint failed: {}", e.what());
                    self->close_now(1011, "");
                }
                self->read();
            });
        }

        // The connection is gone (or going): the endpoint is told once, unless the server
        // is stopping.
        void end() {
            if (finished) return;
            finished = true;
            first_message.cancel();
            if (srv.stopping) return;
            try {
                accepted.endpoint->on_close();
            } catch (const std::exception& e) {
                spdlog::error("websocket endpoint failed on close: {}", e.what());
            }
        }

        void send(std::string text) override {
            asio::post(ws.get_executor(),
                       [self = shared_from_this(), t = std::move(text)]() mutable {
                           if (self->closing || self->finished) return;
                           if (self->queue.size() >= self->accepted.queue_limit)
                               return self->close_now(1008, "not reading");
                           self->queue.push_back(std::move(t));
                           if (!self->writing) self->write_next();
                       });
        }

        void close(int code, std::string why) override {
            asio::post(ws.get_executor(), [self = shared_from_this(), code, w = std::move(why)] {
                self->close_now(code, w);
            });
        }

        // On the strand.
        void close_now(int code, const std::string& why) {
            if (closing || finished) return;
            closing = true;
            reason = websocket::close_reason(static_cast<websocket::close_code>(code), why);
            if (!writing) send_close();
        }

        void send_close() {
            if (close_sent || finished) return;
            close_sent = true;
            ws.async_close(reason, [self = shared_from_this()](beast::error_code) {});
        }

        void write_next() {
            if (queue.empty() || finished) {
                writing = false;
                if (closing) send_close();
                return;
            }
            writing = true;
            ws.text(true);
            ws.async_write(asio::buffer(queue.front()),
                           [self = shared_from_this()](beast::error_code ec, std::size_t) {
                               if (!self->queue.empty()) self->queue.pop_front();
                               if (ec) {
                                   self->queue.clear();
                                   self->writing = false;
                                   return;
                               }
                               self->write_next();
                           });
        }
    };

    void list_idle(Session& s) {
        std::lock_guard lock(idle_mutex);
        s.idle_pos = idle.insert(idle.end(), s.weak_from_this());
    }
    void unlist_idle(Session& s) {
        std::lock_guard lock(idle_mutex);
        if (s.idle_pos) idle.erase(*s.idle_pos);
        s.idle_pos.reset();
    }
    // Closes the connection that has waited longest for its request to come or to finish
    // arriving (never one whose request is being handled); false when none waits.
    bool evict_idle() {
        std::shared_ptr<Session> victim;
        {
            std::lock_guard lock(idle_mutex);
            while (!idle.empty() && !victim) {
                victim = idle.front().lock();
                if (victim) victim->idle_pos.reset();
                idle.pop_front();
            }
        }
        if (!victim) return false;
        victim->evict();
        return true;
    }

    void connection_closed() {
        --connections;
        if (!stopping) asio::post(accept_strand, [this] { resume(); });
    }

    // On accept_strand from here on.
    void accept() {
        if (stopping) return;
        if (connections >= max_connections) return wait_for_room();
        acceptor.async_accept(
            asio::make_strand(io),
            asio::bind_executor(accept_strand, [this](beast::error_code ec, tcp::socket s) {
                if (ec == asio::error::operation_aborted || stopping) return;
                if (ec && out_of_descriptors(ec)) {
                    // Accepting again at once fails again at once (the spin that burned
                    // both cores): let the longest idle connection go and wait for a
                    // connection to close, 100 ms at most.
                    warn_throttled("accept", "accept failed: {} ({} connections open)",
                                   ec.message(), connections.load());
                    evict_idle();
                    return pause(std::chrono::milliseconds(100));
                }
                if (ec) {
                    warn_throttled("accept", "accept failed: {}", ec.message());
                } else {
                    ++connections;
                    std::make_shared<Session>(*this, std::move(s))->start();
                }
                accept();
            }));
    }

    // At the cap: when a new client knocks, the longest-waiting connection makes room; then
    // the next connection to close lets accepting go on.
    void wait_for_room() {
        paused = true;
        auto round = ++pause_round;
        acceptor.async_wait(tcp::acceptor::wait_read,
                            asio::bind_executor(accept_strand, [this, round](beast::error_code ec) {
                                if (ec || stopping || !paused || round != pause_round) return;
                                evict_idle();
                            }));
    }

    void pause(std::chrono::milliseconds at_most) {
        paused = true;
        auto round = ++pause_round;
        pause_timer.expires_after(at_most);
        pause_timer.async_wait(
            asio::bind_executor(accept_strand, [this, round](beast::error_code ec) {
                if (!ec && paused && round == pause_round) resume();
            }));
    }

    void resume() {
        if (!paused || stopping) return;
        paused = false;
        ++pause_round;
        pause_timer.cancel();
        accept();
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
    // Each connection holds a descriptor: never accept more than the limit leaves room for.
    auto& d = *impl_;
    auto limit = raise_open_files_limit();
    auto used = open_files() + d.opt.reserved_files;
    auto room = limit > used ? limit - used : 0;
    d.max_connections =
        std::max<std::size_t>(1, std::min<std::uint64_t>(d.opt.max_connections, room));
    if (d.max_connections < d.opt.max_connections)
        spdlog::warn(
            "at most {} connections at once: the open-files limit is {}, {} of them kept for "
            "the database and messages (raise `ulimit -n` or LimitNOFILE for more)",
            d.max_connections, limit, used);
}

std::size_t Server::max_connections() const {
    return impl_->max_connections;
}

unsigned short Server::port() const {
    return impl_->acceptor.local_endpoint().port();
}

void Server::run() {
    auto& d = *impl_;
    d.signals.async_wait([this](beast::error_code ec, int) {
        if (!ec) stop();
    });
    asio::post(d.accept_strand, [&d] { d.accept(); });
    std::vector<std::thread> pool;
    for (int i = 1; i < std::max(1, d.opt.threads); ++i) pool.emplace_back([&d] { d.io.run(); });
    d.io.run();
    for (auto& t : pool) t.join();
    d.end_streams();
    // The loop may run out of work before the stopper thread has even started (all
    // connections closed): it must not outlive this object (use after free under ASan).
    d.join_stopper();
}

void Server::stop() {
    auto& d = *impl_;
    if (d.stopping.exchange(true)) return;
    spdlog::info("shutting down: no new connections, finishing requests in flight");
    asio::post(d.accept_strand, [&d] {
        beast::error_code ec;
        d.acceptor.close(ec);
        d.pause_timer.cancel();
        d.signals.cancel(ec);
    });
    // Wait for in-flight requests (their transactions commit), then stop the loop: idle
    // keep-alive connections are simply dropped.
    std::lock_guard lock(d.stopper_mutex);
    d.stopper = std::thread([&d] {
        auto deadline =
            std::chrono::steady_clock::now() + std::chrono::seconds(d.opt.shutdown_grace_seconds);
        while (d.in_flight > 0 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        d.io.stop();
    });
}

}  // namespace vg::http
