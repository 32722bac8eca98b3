// hfs/pipeline/code_scan.h
//
// The page module's code scanner (hfs/page/code_tokenizer.h) under the pipeline's own
// names, for the Merger and the Validator.
//
//   CodeScan scan = ScanCode(source, CodeDialect::kJsx);
//
// Pure functions; thread-safe.
#pragma once

#include "hfs/page/code_tokenizer.h"

namespace hfs::pipeline {

using page::AttributeValue;
using page::CodeDialect;
using page::CodeScan;
using page::HasAttribute;
using page::LineAt;
using page::MarkupTag;
using page::ScanCode;
using page::ScanProblem;
using page::ScanProblemKind;
using page::ScanTags;

}  // namespace hfs::pipeline
