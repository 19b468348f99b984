#include "core/document_type.hpp"

#include <string>

namespace vg::core {

std::optional<DocumentType> sniff_document(std::string_view d) {
    if (d.substr(0, 5) == "%PDF-") return DocumentType::pdf;
    if (d.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return DocumentType::png;
    if (d.size() >= 3 && static_cast<unsigned char>(d[0]) == 0xFF &&
        static_cast<unsigned char>(d[1]) == 0xD8 && static_cast<unsigned char>(d[2]) == 0xFF)
        return DocumentType::jpeg;
    return std::nullopt;
}

std::string_view mime_type(DocumentType t) {
    switch (t) {
        case DocumentType::pdf:
            return "application/pdf";
        case DocumentType::png:
            return "image/png";
        case DocumentType::jpeg:
            return "image/jpeg";
    }
    return "application/octet-stream";
}

std::string_view extension(DocumentType t) {
    switch (t) {
        case DocumentType::pdf:
            return "pdf";
        case DocumentType::png:
            return "png";
        case DocumentType::jpeg:
            return "jpg";
    }
    return "bin";
}

std::string download_name(std::string_view sent, DocumentType t) {
    if (auto slash = sent.find_last_of("/\\"); slash != std::string_view::npos)
        sent = sent.substr(slash + 1);
    std::string base;
    for (unsigned char c : sent) {
        if (c < 0x20 || c == 0x7F || c == '"' || c == ';' || c == ',' || c == '%') continue;
        base += char(c);
    }
    // Drop the sender's extension: the type read from the content decides it.
    if (auto dot = base.rfind('.'); dot != std::string::npos) base.resize(dot);
    while (!base.empty() && (base.front() == '.' || base.front() == ' ')) base.erase(0, 1);
    // Cut on a UTF-8 character boundary.
    if (base.size() > 80) {
        std::size_t n = 80;
        while (n > 0 && (static_cast<unsigned char>(base[n]) & 0xC0) == 0x80) --n;
        base.resize(n);
    }
    if (base.empty()) base = "document";
    return base + "." + std::string(extension(t));
}

}  // namespace vg::core
