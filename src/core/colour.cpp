#include "core/colour.hpp"

#include <cmath>

namespace vg::core {

namespace {

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// sRGB channel (0-255) to linear light.
double linear(int v) {
    double c = v / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

}  // namespace

std::optional<double> contrast_with_white(std::string_view hex) {
    if (hex.size() != 7 || hex[0] != '#') return std::nullopt;
    int rgb[3];
    for (int i = 0; i < 3; ++i) {
        int hi = hex_digit(hex[1 + 2 * i]), lo = hex_digit(hex[2 + 2 * i]);
        if (hi < 0 || lo < 0) return std::nullopt;
        rgb[i] = hi * 16 + lo;
    }
    double l = 0.2126 * linear(rgb[0]) + 0.7152 * linear(rgb[1]) + 0.0722 * linear(rgb[2]);
    return (1.0 + 0.05) / (l + 0.05);
}

bool readable_on_white(std::string_view hex) {
    auto c = contrast_with_white(hex);
    return c && *c >= kMinContrast;
}

}  // namespace vg::core
