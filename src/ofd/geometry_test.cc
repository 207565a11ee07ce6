#include "eseal/ofd/geometry.h"

#include <gtest/gtest.h>

#include "eseal/ofd/path_data.h"

namespace eseal::ofd {
namespace {

TEST(GeometryTest, ParsesBoxesAndMatrices) {
  EXPECT_EQ(*ParseBox("50 50 40 40"), (Box{50, 50, 40, 40}));
  EXPECT_EQ(*ParseBox(" 0.00 0.00\n210.00 297.00 "), (Box{0, 0, 210, 297}));
  EXPECT_FALSE(ParseBox("1 2 3").ok());
  EXPECT_FALSE(ParseBox("1 2 -3 4").ok());
  EXPECT_FALSE(ParseBox("1 2 3 x").ok());
  EXPECT_FALSE(ParseBox("1 2 3 nan").ok());
  EXPECT_EQ(*ParseMatrix("0.89 0 0 1 0 0"), (Matrix{0.89, 0, 0, 1, 0, 0}));
  EXPECT_FALSE(ParseMatrix("1 0 0 1").ok());
}

TEST(GeometryTest, FormatsNumbersAsOfdrw) {
  EXPECT_EQ(FormatNumber(40), "40");
  EXPECT_EQ(FormatNumber(-0.0), "0");
  EXPECT_EQ(FormatNumber(69.99999999999999), "69.99999999999999");
  EXPECT_EQ(FormatNumber(2.5), "2.5");
  EXPECT_EQ(FormatNumber(-12.25), "-12.25");
  EXPECT_EQ(FormatBox({194, 40, 40, 40}), "194 40 40 40");
}

TEST(GeometryTest, MatrixComposition) {
  Matrix scale{2, 0, 0, 3, 0, 0};
  Matrix m = scale.Then(Matrix::Translate(10, 20));
  EXPECT_EQ(m.Apply({1, 1}), (Point{12, 23}));
  Matrix rot{0, 1, -1, 0, 0, 0};  // 90 degrees
  EXPECT_EQ(rot.Apply({1, 0}), (Point{0, 1}));
  EXPECT_EQ(Transform(rot, Box{0, 0, 2, 1}), (Box{-1, 0, 1, 2}));
  EXPECT_EQ(Union({0, 0, 1, 1}, {2, 3, 1, 1}), (Box{0, 0, 3, 4}));
}

TEST(PathDataTest, ParsesAllOperators) {
  auto ops =
      ParseAbbreviatedData("M 0 0 L 70 0 B 1 2 3 4 5 6 Q 1 1 2 2 A 5 5 0 1 0 10 10 C S 3 3 Z");
  ASSERT_TRUE(ops.ok()) << ops.status().ToString();
  ASSERT_EQ(ops->size(), 8u);
  EXPECT_EQ((*ops)[0].kind, PathOp::kMove);
  EXPECT_EQ((*ops)[1].kind, PathOp::kLine);
  EXPECT_EQ((*ops)[2].kind, PathOp::kCubic);
  EXPECT_EQ((*ops)[2].p[2], (Point{5, 6}));
  EXPECT_EQ((*ops)[3].kind, PathOp::kQuad);
  EXPECT_EQ((*ops)[4].kind, PathOp::kArc);
  EXPECT_TRUE((*ops)[4].large_arc);
  EXPECT_FALSE((*ops)[4].sweep);
  EXPECT_EQ((*ops)[5].kind, PathOp::kClose);
  EXPECT_EQ((*ops)[6].kind, PathOp::kMove);
  EXPECT_EQ((*ops)[7].kind, PathOp::kClose);
  EXPECT_FALSE(ParseAbbreviatedData("M 0").ok());
  EXPECT_FALSE(ParseAbbreviatedData("X 1 2").ok());
  EXPECT_FALSE(ParseAbbreviatedData("1 2").ok());
  EXPECT_EQ(ParseAbbreviatedData("M 0 0 L 1 1 L 2 2", 2).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(PathBounds(*ParseAbbreviatedData("M 1 2 L 5 -3")), (Box{1, -3, 4, 5}));
}

}  // namespace
}  // namespace eseal::ofd
