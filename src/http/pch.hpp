// Precompiled header for the files that include Beast or Asio (CMakeLists.txt gives it to
// those only). Boost 1.74 + GCC 12: <utility> before Asio.
#pragma once
#include <utility>
// Asio after <utility>.
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <string>
