#include "web/qr_svg.hpp"

#include <qrencode.h>

#include <memory>
#include <stdexcept>

#include "http/message.hpp"

namespace vg::web {

std::string qr_svg(const std::string& text, const std::string& label) {
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), &QRcode_free);
    if (!qr) throw std::runtime_error("QR code: text too long");
    const int quiet = 4;
    int size = qr->width + 2 * quiet;
    std::string path;
    for (int y = 0; y < qr->width; ++y) {
        for (int x = 0; x < qr->width; ++x) {
            // Bit 0 of each byte: the module is dark.
            if (qr->data[y * qr->width + x] & 1)
                path +=
                    "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
        }
    }
    auto n = std::to_string(size);
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 " + n + " " + n +
           "\" width=\"" + std::to_string(size * 5) + "\" height=\"" + std::to_string(size * 5) +
           "\" role=\"img\" aria-label=\"" + http::html_escape(label) +
           "\" shape-rendering=\"crispEdges\"><rect width=\"" + n + "\" height=\"" + n +
           "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace vg::web
