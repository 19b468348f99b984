// Method + path pattern routing; "{name}" segments capture one decoded path segment.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace vg::http {

using Handler = std::function<Response(Request&)>;

class Router {
  public:
    void add(const std::string& method, const std::string& pattern, Handler h);
    void get(const std::string& p, Handler h) { add("GET", p, std::move(h)); }
    void post(const std::string& p, Handler h) { add("POST", p, std::move(h)); }
    // 404 when no pattern matches, 405 (with Allow) when only the method differs.
    Response dispatch(Request& req) const;
    // Fallback for unmatched paths (error pages in the user's language).
    std::function<Response(Request&, int status)> error_page;

  private:
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<std::string> segments;
        Handler handler;
    };
    std::vector<Route> routes_;
};

std::vector<std::string> split_path(const std::string& path);

}  // namespace vg::http
