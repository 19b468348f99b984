// Where a request says it comes from (CSRF of the pages' forms, WebSocket upgrades).
#pragma once

#include <string>

#include "http/message.hpp"

namespace vg::http {

// scheme://host[:port] of a URL, lower case, without path, trailing slash or default port.
std::string origin_of(const std::string& url);

// False when the request says it comes from another origin: an Origin header that is not
// ours (the public URL's origin, or http://<Host> when no public URL is configured, which
// only happens on a loopback address), or Sec-Fetch-Site other than same-origin / none.
// "Origin: null" says nothing (browsers send it for our own forms, since our pages are
// served with Referrer-Policy: no-referrer); a request with neither header (not a browser,
// or a very old one) is left to the token and the SameSite=Strict cookie.
bool same_origin(const Request& req, const std::string& public_url);

}  // namespace vg::http
