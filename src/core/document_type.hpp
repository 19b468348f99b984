// What a document sent during a call is, read from its first bytes, never from its name or
// the type the browser claims: only PDF, PNG and JPEG are accepted. Pure computation.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vg::core {

enum class DocumentType { pdf, png, jpeg };

std::optional<DocumentType> sniff_document(std::string_view data);
std::string_view mime_type(DocumentType t);  // application/pdf, image/png, image/jpeg
std::string_view extension(DocumentType t);  // pdf, png, jpg

// A file name safe to offer in a download: the sender's name without its folders, control
// characters, quotes or separators, at most 80 characters, ending with the type's extension.
std::string download_name(std::string_view sent_name, DocumentType t);

}  // namespace vg::core
