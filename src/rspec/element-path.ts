import type libxmljs from 'libxmljs2';

/**
 * A readable location for a finding: local names with a 1-based index among same-named siblings,
 * e.g. /rspec/link[2]/interface_ref[1]. Prefixes are left out because RSpecs mostly use a default namespace.
 */
export function elementPath(element: libxmljs.Element): string {
  const steps: string[] = [];
  let current: libxmljs.Element | null = element;
  while (current) {
    const name = current.name();
    let index = 1;
    for (let sibling = current.prevSibling(); sibling; sibling = sibling.prevSibling()) {
      if (sibling.type() === 'element' && (sibling as libxmljs.Element).name() === name) index += 1;
    }
    const parent: libxmljs.Element | libxmljs.Document = current.parent();
    const isRoot: boolean = parent.type() === 'document';
    steps.unshift(isRoot ? name : `${name}[${index}]`);
    current = isRoot ? null : (parent as libxmljs.Element);
  }
  return `/${steps.join('/')}`;
}

export function attributeValue(element: libxmljs.Element, name: string): string | undefined {
  return element.attr(name)?.value() ?? undefined;
}
