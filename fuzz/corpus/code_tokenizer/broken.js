const s = "unterminated
let t = `a ${ b + `c ${d}` } e
/* open comment
} ) ] <div attr="x