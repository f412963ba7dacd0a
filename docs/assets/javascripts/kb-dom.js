// Small DOM helpers shared by kb-search.js and kb-compare.js (ES modules).

// An element with its attributes (null, undefined and false left out; true → "")
// and its children (nodes or text; null and undefined left out).
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== undefined && value !== null && value !== false) node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.filter((child) => child !== null && child !== undefined));
  return node;
}

// « 1 fiche », « 3 fiches ».
export function plural(count, one, many) {
  return `${count} ${count > 1 ? many : one}`;
}
