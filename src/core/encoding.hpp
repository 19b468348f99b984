// Text encodings shared by every layer (pure).
#pragma once

#include <string>
#include <string_view>

namespace vg::core {

// Percent-encoding of every byte outside the RFC 3986 unreserved set (A-Z a-z 0-9 - . _ ~),
// upper-case hex; a space becomes %20, which form decoders accept as well as '+'. The one
// encoder of URLs, query strings and form bodies (http::url_encode, SMS gateway forms).
std::string percent_encode(std::string_view s);

// ASCII letters in lower case, other bytes as they are: what SQL lower() does to an e-mail
// address (the key that makes addresses unique whatever their case).
std::string ascii_lower(std::string_view s);

}  // namespace vg::core
