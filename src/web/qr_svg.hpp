// QR codes as inline SVG (libqrencode), drawn by the server: no script, no image request.
#pragma once

#include <string>

namespace vg::web {

// An <svg> element (role="img", labelled by label) of text's QR code, error correction M,
// with the four-module quiet zone. Throws std::runtime_error when the text is too long.
std::string qr_svg(const std::string& text, const std::string& label);

}  // namespace vg::web
