#include "http/message.hpp"

#include <cctype>
#include <sstream>

#include "core/encoding.hpp"

namespace vg::http {

const std::string* Request::header(const std::string& name) const {
    auto it = headers.find(name);
    return it == headers.end() ? nullptr : &it->second;
}

std::optional<std::string> Request::q(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> Request::path_param(const std::string& name) const {
    auto it = path_params.find(name);
    if (it == path_params.end()) return std::nullopt;
    return it->second;
}

std::string Request::cookie(const std::string& name) const {
    auto h = header("cookie");
    if (!h) return {};
    std::size_t pos = 0;
    while (pos < h->size()) {
        auto end = h->find(';', pos);
        if (end == std::string::npos) end = h->size();
        auto part = h->substr(pos, end - pos);
        auto b = part.find_first_not_of(' ');
        if (b != std::string::npos) part = part.substr(b);
        auto eq = part.find('=');
        if (eq != std::string::npos && part.substr(0, eq) == name) return part.substr(eq + 1);
        pos = end + 1;
    }
    return {};
}

namespace {
// "fr;q=0", "fr;q=0.0", "fr; q=0.000": weight zero, the client does not want it.
bool refused(const std::string& item) {
    auto q = item.find("q=", item.find(';'));
    if (item.find(';') == std::string::npos || q == std::string::npos) return false;
    auto v = item.substr(q + 2);
    auto end = v.find_first_of(" ;");
    v = v.substr(0, end);
    if (v.empty() || v[0] != '0') return false;
    if (v.size() == 1) return true;
    return v[1] == '.' && v.find_first_not_of('0', 2) == std::string::npos;
}
}  // namespace

std::string negotiate_language(const Request& req, const std::vector<std::string>& allowed) {
    auto ok = [&](const std::string& l) {
        for (auto& a : allowed)
            if (a == l) return true;
        return false;
    };
    if (auto q = req.q("lang"); q && ok(*q)) return *q;
    if (auto c = req.cookie("vg_lang"); ok(c)) return c;
    if (auto h = req.header("accept-language")) {
        // Languages in the order given, except those weighted zero: other q-values are
        // rarely decisive in practice.
        std::stringstream ss(*h);
        std::string item;
        while (std::getline(ss, item, ',')) {
            auto b = item.find_first_not_of(' ');
            if (b == std::string::npos) continue;
            auto code = item.substr(b, 2);
            for (auto& c : code) c = char(std::tolower(static_cast<unsigned char>(c)));
            if (refused(item)) continue;
            if (ok(code)) return code;
        }
    }
    return allowed.empty() ? "fr" : allowed.front();
}

Response Response::text(int status, std::string body) {
    Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.body = std::move(body);
    return r;
}
Response Response::html(int status, std::string body) {
    Response r;
    r.status = status;
    r.body = std::move(body);
    return r;
}
Response Response::json(int status, std::string body) {
    Response r;
    r.status = status;
    r.content_type = "application/json";
    r.body = std::move(body);
    return r;
}
Response Response::redirect(const std::string& location, int status) {
    Response r;
    r.status = status;
    r.content_type = "text/plain; charset=utf-8";
    r.header("Location", location);
    return r;
}

namespace {
int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::string url_decode(const std::string& s, bool plus_is_space) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '+' && plus_is_space) {
            out += ' ';
        } else if (c == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out += char(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
            i += 2;
        } else {
            out += c;
        }
    }
    return out;
}

std::string url_encode(const std::string& s) {
    return core::percent_encode(s);
}

std::string url_encode_path(const std::string& path) {
    std::string out, seg;
    for (char c : path) {
        if (c == '/') {
            out += url_encode(seg) + "/";
            seg.clear();
        } else {
            seg += c;
        }
    }
    return out + url_encode(seg);
}

Params parse_urlencoded(const std::string& s) {
    Params p;
    std::size_t pos = 0;
    while (pos <= s.size()) {
        auto end = s.find('&', pos);
        if (end == std::string::npos) end = s.size();
        auto part = s.substr(pos, end - pos);
        if (!part.empty()) {
            auto eq = part.find('=');
            auto k = url_decode(part.substr(0, eq), true);
            auto v =
                eq == std::string::npos ? std::string() : url_decode(part.substr(eq + 1), true);
            p.emplace(std::move(k), std::move(v));
        }
        pos = end + 1;
    }
    return p;
}

std::string html_escape(const std::string& s) {
    std::string out;
    out.reserve(s.size());
    for (char c : s) {
        switch (c) {
            case '&':
                out += "&amp;";
                break;
            case '<':
                out += "&lt;";
                break;
            case '>':
                out += "&gt;";
                break;
            case '"':
                out += "&quot;";
                break;
            case '\'':
                out += "&#39;";
                break;
            default:
                out += c;
        }
    }
    return out;
}

}  // namespace vg::http
