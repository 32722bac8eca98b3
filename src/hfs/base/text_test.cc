#include "hfs/base/text.h"

#include <gtest/gtest.h>

namespace hfs {
namespace {

TEST(TextTest, AsciiLowerChangesOnlyAsciiLetters) {
  EXPECT_EQ(AsciiLower("Retry-After: 7S"), "retry-after: 7s");
  EXPECT_EQ(AsciiLower("Ünïcode ÄB"), "Ünïcode Äb");
  EXPECT_EQ(AsciiLower(""), "");
}

TEST(TextTest, EscapeHtmlEscapesMarkupAndQuotes) {
  EXPECT_EQ(EscapeHtml("<script>alert('x & \"y\"')</script>"),
            "&lt;script&gt;alert(&#39;x &amp; &quot;y&quot;&#39;)&lt;/script&gt;");
  EXPECT_EQ(EscapeHtml("Ünïcode plain"), "Ünïcode plain");
  EXPECT_EQ(EscapeHtml(""), "");
}

TEST(TextTest, Base64EncodeMatchesRfc4648Vectors) {
  EXPECT_EQ(Base64Encode(""), "");
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64Encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode(std::string("\x89PNG\xff\x00", 6)), "iVBOR/8A");
}

}  // namespace
}  // namespace hfs

namespace hfs {
namespace {

TEST(Utf8BoundaryTest, NeverCutsInsideACharacter) {
  const std::string text = "ab\xC3\xA9z";  // a b é z
  EXPECT_EQ(Utf8Boundary(text, 0), 0u);
  EXPECT_EQ(Utf8Boundary(text, 2), 2u);
  EXPECT_EQ(Utf8Boundary(text, 3), 2u);  // inside é
  EXPECT_EQ(Utf8Boundary(text, 4), 4u);
  EXPECT_EQ(Utf8Boundary(text, 99), text.size());
}

}  // namespace
}  // namespace hfs
