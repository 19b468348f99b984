// Streamed answers (Response::stream, http/stream.hpp): the channel's bound, and the server
// sending chunks to a raw socket client, with its headers, stopping the producer when the
// client goes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "http/server.hpp"
#include "http/stream.hpp"

using namespace vg::http;
using namespace std::chrono_literals;

namespace {

// Waits for a condition another thread makes true (never a fixed sleep as synchronisation);
// false after a generous deadline.
template <class F>
bool eventually(F&& ready, std::chrono::seconds at_most = 20s) {
    auto end = std::chrono::steady_clock::now() + at_most;
    while (!ready()) {
        if (std::chrono::steady_clock::now() > end) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

struct Client {
    int fd = -1;
    explicit Client(unsigned short port) {
        fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_port = htons(port);
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) ADD_FAILURE();
        timeval tv{20, 0};
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    ~Client() { close(); }
    void close() {
        if (fd >= 0) ::close(fd);
        fd = -1;
    }
    void send(const std::string& s) {
        ASSERT_EQ(::write(fd, s.data(), s.size()), ssize_t(s.size()));
    }
    // Reads until `done(buffer)` or the end of the connection.
    template <class F>
    std::string read_until(F&& done) {
        std::string got;
        char buf[8192];
        while (!done(got)) {
            auto n = ::read(fd, buf, sizeof buf);
            if (n <= 0) break;
            got.append(buf, std::size_t(n));
        }
        return got;
    }
    std::string read_all() {
        return read_until([](const std::string&) { return false; });
    }
};

struct Parsed {
    std::string head;
    std::string body;
    int chunks = 0;
    bool complete = false;  // the last chunk came
    std::size_t size = 0;   // bytes of the answer (head and chunks)
};

// Decodes a chunked answer at the start of `raw` (or a plain one when not chunked).
Parsed parse(const std::string& raw) {
    Parsed p;
    auto end = raw.find("\r\n\r\n");
    if (end == std::string::npos) return p;
    p.head = raw.substr(0, end + 2);
    auto at = end + 4;
    if (p.head.find("Transfer-Encoding: chunked") == std::string::npos) {
        p.body = raw.substr(at);
        p.size = raw.size();
        return p;
    }
    while (true) {
        auto line = raw.find("\r\n", at);
        if (line == std::string::npos) return p;
        auto n = std::stoul(raw.substr(at, line - at), nullptr, 16);
        if (raw.size() < line + 2 + n + 2) return p;
        if (n == 0) {
            p.complete = true;
            p.size = line + 4;
            return p;
        }
        p.body += raw.substr(line + 2, n);
        ++p.chunks;
        at = line + 2 + n + 2;
    }
}

bool has_whole_answer(const std::string& raw) {
    return parse(raw).complete;
}

// A server on a free port, run on its own thread, with a few streamed routes.
struct StreamServer {
    std::atomic<int> runs{0};
    std::atomic<bool> endless_stopped{false};
    std::atomic<long> endless_written{0};
    std::unique_ptr<Server> server;
    std::thread thread;

    static std::string big_body() {
        std::string s;
        for (int i = 0; i < 20000; ++i) s += "line " + std::to_string(i) + ",a,b,c\r\n";
        return s;
    }

    explicit StreamServer(std::size_t max_streams = 16) {
        ServerOptions o;
        o.max_streams = max_streams;
        o.host = "127.0.0.1";
        o.port = 0;
        o.threads = 2;
        o.access_log = false;
        o.count_requests = false;
        o.stream_buffer = 16 * 1024;
        o.stream_chunk = 4 * 1024;
        o.default_headers = {{"X-Content-Type-Options", "nosniff"},
                             {"Content-Security-Policy", "default-src 'none'"}};
        server = std::make_unique<Server>(o, [this](Request& r) { return handle(r); });
        server->listen();
        thread = std::thread([this] { server->run(); });
    }
    ~StreamServer() {
        server->stop();
        thread.join();
    }

    Response handle(Request& r) {
        Response res;
        res.content_type = "text/csv; charset=utf-8";
        res.header("Content-Disposition", "attachment; filename=\"x.csv\"");
        if (r.path == "/big") {
            res.stream = [this](BodyWriter& out) {
                ++runs;
                for (int i = 0; i < 20000; ++i)
                    if (!out.write("line " + std::to_string(i) + ",a,b,c\r\n")) return;
            };
        } else if (r.path == "/endless") {
            res.stream = [this](BodyWriter& out) {
                std::string piece(4096, 'x');
                while (out.write(piece)) endless_written += long(piece.size());
                endless_stopped = true;
            };
        } else if (r.path == "/refused") {
            res.stream = [](BodyWriter& out) {
                out.write("never sent");
                throw Refusal(Response::text(500, "not journalled"));
            };
        } else if (r.path == "/empty") {
            res.stream = [](BodyWriter&) {};
        } else {
            return Response::text(200, "plain");
        }
        return res;
    }
};

}  // namespace

TEST(HttpStream, TheProducerWaitsOnceTheBoundIsReachedAndStopsWhenCancelled) {
    StreamChannel channel(8 * 1024, 2 * 1024);
    std::atomic<long> written{0};
    std::atomic<bool> returned{false};
    std::thread producer([&] {
        std::string piece(1000, 'x');
        while (channel.write(piece)) written += 1000;
        returned = true;
    });
    // Nobody takes: the producer stops at the bound (plus one piece at most).
    ASSERT_TRUE(eventually([&] { return channel.producer_waiting(); }));
    EXPECT_LE(channel.buffered(), 8u * 1024 + 1000);
    EXPECT_LE(written.load(), 8 * 1024 + 1000);
    // Taking makes room: it writes again, up to the bound again.
    std::string out;
    EXPECT_EQ(channel.take(out, [] {}), StreamChannel::State::data);
    EXPECT_GE(out.size(), 8u * 1024);
    ASSERT_TRUE(eventually([&] { return written.load() >= 16 * 1024; }));
    ASSERT_TRUE(eventually([&] { return channel.producer_waiting(); }));
    EXPECT_LE(written.load(), 2 * (8 * 1024 + 1000));
    // The client went: the waiting write returns false, the producer returns.
    channel.cancel();
    ASSERT_TRUE(eventually([&] { return returned.load(); }));
    producer.join();
    EXPECT_EQ(channel.buffered(), 0u);
}

TEST(HttpStream, TheConnectionIsWokenOnceAChunkIsReadyOrTheBodyEnds) {
    StreamChannel channel(8 * 1024, 2 * 1024);
    std::string out;
    int wakes = 0;
    EXPECT_EQ(channel.take(out, [&] { ++wakes; }), StreamChannel::State::waiting);
    EXPECT_TRUE(channel.write("small"));
    EXPECT_EQ(wakes, 0);  // less than a chunk: not yet
    EXPECT_TRUE(channel.write(std::string(3000, 'y')));
    EXPECT_EQ(wakes, 1);
    EXPECT_EQ(channel.take(out, [&] { ++wakes; }), StreamChannel::State::data);
    EXPECT_EQ(out.size(), 3005u);
    EXPECT_TRUE(channel.write("tail"));
    EXPECT_EQ(channel.take(out, [&] { ++wakes; }), StreamChannel::State::waiting);
    channel.finish();
    EXPECT_EQ(wakes, 2);
    EXPECT_EQ(channel.take(out, [] {}), StreamChannel::State::data);
    EXPECT_EQ(out, "tail");
    EXPECT_EQ(channel.take(out, [] {}), StreamChannel::State::finished);
}

TEST(HttpStream, ALargeBodyComesInChunksWithTheSecurityHeadersThenTheConnectionGoesOn) {
    StreamServer s;
    Client c(s.server->port());
    c.send("GET /big HTTP/1.1\r\nHost: t\r\n\r\n");
    auto raw = c.read_until(has_whole_answer);
    auto p = parse(raw);
    ASSERT_TRUE(p.complete) << raw.substr(0, 400);
    EXPECT_EQ(p.head.rfind("HTTP/1.1 200", 0), 0u) << p.head;
    EXPECT_NE(p.head.find("Transfer-Encoding: chunked"), std::string::npos) << p.head;
    EXPECT_EQ(p.head.find("Content-Length"), std::string::npos) << p.head;
    EXPECT_NE(p.head.find("X-Content-Type-Options: nosniff"), std::string::npos) << p.head;
    EXPECT_NE(p.head.find("Content-Security-Policy: default-src 'none'"), std::string::npos);
    EXPECT_NE(p.head.find("Content-Disposition: attachment"), std::string::npos);
    EXPECT_NE(p.head.find("Content-Type: text/csv; charset=utf-8"), std::string::npos);
    EXPECT_EQ(p.body, StreamServer::big_body());
    EXPECT_GT(p.chunks, 10);  // ~360 KB in chunks of ~4 KB or more, never all at once
    // Keep-alive: the next request on the same connection is answered.
    raw.erase(0, p.size);
    c.send("GET /plain HTTP/1.1\r\nHost: t\r\n\r\n");
    raw += c.read_until([](const std::string& g) { return g.find("plain") != std::string::npos; });
    EXPECT_NE(raw.find("HTTP/1.1 200"), std::string::npos) << raw;
    EXPECT_EQ(raw.substr(raw.size() - 5), "plain");
}

TEST(HttpStream, HeadGetsTheHeadersOnlyAndDoesNotRunTheProducer) {
    StreamServer s;
    Client c(s.server->port());
    c.send("HEAD /big HTTP/1.1\r\nHost: t\r\n\r\n");
    auto raw = c.read_until([](const std::string& g) { return g.find("\r\n\r\n") != g.npos; });
    EXPECT_EQ(raw.rfind("HTTP/1.1 200", 0), 0u) << raw;
    EXPECT_NE(raw.find("X-Content-Type-Options: nosniff"), std::string::npos) << raw;
    EXPECT_EQ(raw.substr(raw.find("\r\n\r\n") + 4), "");
    // The connection goes on: a GET after it gets the whole body, the producer ran once.
    c.send("GET /big HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    auto p = parse(c.read_all());
    EXPECT_TRUE(p.complete);
    EXPECT_EQ(p.body, StreamServer::big_body());
    EXPECT_EQ(s.runs.load(), 1);
}

TEST(HttpStream, AClientThatGoesAwayStopsTheProducer) {
    StreamServer s;
    {
        Client c(s.server->port());
        c.send("GET /endless HTTP/1.1\r\nHost: t\r\n\r\n");
        auto raw = c.read_until([](const std::string& g) { return g.size() > 100 * 1024; });
        EXPECT_NE(raw.find("Transfer-Encoding: chunked"), std::string::npos);
    }  // closed with the rest unread
    // The server's next writes fail: the channel is cancelled, the waiting write returns
    // false and the producer returns.
    EXPECT_TRUE(eventually([&] { return s.endless_stopped.load(); }));
    // The server still answers.
    Client c(s.server->port());
    c.send("GET /plain HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    EXPECT_NE(c.read_all().find("plain"), std::string::npos);
}

TEST(HttpStream, AProducerThatRefusesBeforeItsFirstByteGetsItsAnswer) {
    StreamServer s;
    Client c(s.server->port());
    c.send("GET /refused HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    auto raw = c.read_all();
    EXPECT_EQ(raw.rfind("HTTP/1.1 500", 0), 0u) << raw;
    EXPECT_EQ(raw.find("chunked"), std::string::npos) << raw;
    EXPECT_EQ(raw.find("never sent"), std::string::npos) << raw;
    EXPECT_NE(raw.find("X-Content-Type-Options: nosniff"), std::string::npos) << raw;
    EXPECT_EQ(raw.substr(raw.size() - 14), "not journalled");
    // An empty body is one last chunk.
    Client e(s.server->port());
    e.send("GET /empty HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    auto p = parse(e.read_all());
    EXPECT_TRUE(p.complete);
    EXPECT_EQ(p.body, "");
}

TEST(HttpStream, Http10GetsTheBodyEndedByTheConnectionsClose) {
    StreamServer s;
    Client c(s.server->port());
    c.send("GET /big HTTP/1.0\r\nHost: t\r\n\r\n");
    auto raw = c.read_all();
    auto p = parse(raw);
    EXPECT_EQ(p.head.rfind("HTTP/1.0 200", 0), 0u) << p.head;
    EXPECT_EQ(p.head.find("chunked"), std::string::npos) << p.head;
    EXPECT_NE(p.head.find("X-Content-Type-Options: nosniff"), std::string::npos) << p.head;
    EXPECT_EQ(p.body, StreamServer::big_body());
}

TEST(HttpStream, BeyondTheStreamsAllowedAtOnceA503) {
    StreamServer s(1);
    Client slow(s.server->port());  // holds the only stream: reads a little, then nothing
    slow.send("GET /endless HTTP/1.1\r\nHost: t\r\n\r\n");
    slow.read_until([](const std::string& g) { return g.size() > 8 * 1024; });
    Client c(s.server->port());
    c.send("GET /big HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
    auto raw = c.read_all();
    EXPECT_EQ(raw.rfind("HTTP/1.1 503", 0), 0u) << raw.substr(0, 300);
    EXPECT_NE(raw.find("Retry-After: 10"), std::string::npos);
    slow.close();
    ASSERT_TRUE(eventually([&] { return s.endless_stopped.load(); }));
    // Once it ended, the next download gets its place (the producer's thread is gone first).
    ASSERT_TRUE(eventually([&] {
        Client d(s.server->port());
        d.send("GET /big HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
        return parse(d.read_all()).body == StreamServer::big_body();
    }));
}
