#include "http/router.hpp"

namespace vg::http {

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < path.size()) {
        if (path[pos] == '/') {
            ++pos;
            continue;
        }
        auto end = path.find('/', pos);
        if (end == std::string::npos) end = path.size();
        out.push_back(path.substr(pos, end - pos));
        pos = end;
    }
    if (!path.empty() && path.back() == '/' && path.size() > 1) out.emplace_back();
    return out;
}

void Router::add(const std::string& method, const std::string& pattern, Handler h) {
    routes_.push_back({method, pattern, split_path(pattern), std::move(h)});
}

Response Router::dispatch(Request& req) const {
    auto parts = split_path(req.path);
    std::string allow;
    for (auto& r : routes_) {
        if (r.segments.size() != parts.size()) continue;
        std::map<std::string, std::string> params;
        bool ok = true;
        for (std::size_t i = 0; i < parts.size() && ok; ++i) {
            auto& seg = r.segments[i];
            if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}')
                params[seg.substr(1, seg.size() - 2)] = url_decode(parts[i], false);
            else
                ok = seg == parts[i];
        }
        if (!ok) continue;
        bool head_as_get = req.method == "HEAD" && r.method == "GET";
        if (r.method != req.method && !head_as_get) {
            allow += (allow.empty() ? "" : ", ") + r.method;
            continue;
        }
        req.path_params = std::move(params);
        req.route = r.pattern;
        return r.handler(req);
    }
    req.route = allow.empty() ? "(404)" : "(405)";
    Response res = error_page ? error_page(req, allow.empty() ? 404 : 405)
                              : Response::text(allow.empty() ? 404 : 405, "Not found");
    if (!allow.empty()) res.header("Allow", allow);
    return res;
}

}  // namespace vg::http
