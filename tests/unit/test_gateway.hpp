// A local HTTP server for the SMS tests (unit): answers each connection with the next status
// of a list. Header only, shared by test_sms.cpp and test_notify.cpp.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>
#include <vector>

namespace vg::test_support {

// A local HTTP server answering each connection with the next status of a list (-1: read the
// request and never answer). Keeps the raw requests for inspection.
class TestGateway {
  public:
    explicit TestGateway(std::vector<int> statuses) {
        fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
        ::listen(fd_, 8);
        socklen_t len = sizeof a;
        ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
        port_ = ntohs(a.sin_port);
        thread_ = std::thread([this, statuses] {
            for (int status : statuses) serve_one(status);
        });
    }
    ~TestGateway() {
        received();
        ::close(fd_);
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/sms"; }
    // The raw requests, once every planned connection was served.
    const std::vector<std::string>& received() {
        if (thread_.joinable()) thread_.join();
        return requests_;
    }

  private:
    void serve_one(int status) {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, 5000) <= 0) return;  // a test that did not send: do not hang
        int c = ::accept(fd_, nullptr, nullptr);
        std::string req;
        char buf[4096];
        for (;;) {  // headers, then Content-Length bytes of body
            auto end = req.find("\r\n\r\n");
            if (end != std::string::npos) {
                auto cl = req.find("Content-Length: ");
                std::size_t need = cl == std::string::npos ? 0 : std::stoul(req.substr(cl + 16));
                if (req.size() >= end + 4 + need) break;
            }
            pollfd q{c, POLLIN, 0};
            if (::poll(&q, 1, 5000) <= 0) break;
            auto n = ::read(c, buf, sizeof buf);
            if (n <= 0) break;
            req.append(buf, std::size_t(n));
        }
        requests_.push_back(req);
        if (status < 0) {
            pollfd q{c, POLLIN, 0};
            ::poll(&q, 1, 3000);  // until the client gives up
        } else {
            auto resp = "HTTP/1.1 " + std::to_string(status) +
                        " X\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
            [[maybe_unused]] auto w = ::write(c, resp.data(), resp.size());
        }
        ::close(c);
    }
    int fd_ = -1;
    int port_ = 0;
    std::vector<std::string> requests_;
    std::thread thread_;
};

}  // namespace vg::test_support
