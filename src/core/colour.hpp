// Colours of an organisation's brand: WCAG 2 contrast, so that white text on the brand
// colour (buttons, header) stays readable. Pure.
#pragma once

#include <optional>
#include <string_view>

namespace vg::core {

// The contrast ratio (1 to 21) of a "#rrggbb" colour with white (WCAG 2.x relative
// luminance); nullopt when the text is not exactly "#" and six hexadecimal digits.
std::optional<double> contrast_with_white(std::string_view hex);

// WCAG AA for normal text: at least 4.5:1.
inline constexpr double kMinContrast = 4.5;
bool readable_on_white(std::string_view hex);

}  // namespace vg::core
