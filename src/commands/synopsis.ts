/**
 * Command synopses: each command's arguments written once, in a compact form
 * close to the documentation's, and turned into the argument tree COMMAND DOCS
 * returns (redis-cli builds its interactive hints from that tree).
 *
 * Grammar:
 *   key                  an argument named key, of type key
 *   name[:type]          a typed argument (string when no type is given)
 *   TOKEN                a pure token (all capitals)
 *   TOKEN name[:type]    a token followed by its value
 *   [ ... ]              optional group;  ( ... ) required group
 *   a | b                inside a group: one of the alternatives
 *   x y                  inside a group: a block of several arguments
 *   label:[ ... ]        names a group (Redis names its oneof groups)
 *   ...                  after an item or group: it may repeat
 */

export interface ArgDoc {
  name: string;
  type: string;
  token?: string;
  keySpecIndex?: number;
  optional?: boolean;
  multiple?: boolean;
  arguments?: ArgDoc[];
}

function tokenize(s: string): string[] {
  return s.replace(/([[\]()|])/g, ' $1 ').split(/\s+/).filter((t) => t.length > 0);
}

const isToken = (w: string): boolean => /^[A-Z][A-Z0-9-]*$/.test(w);

function leaf(word: string): ArgDoc {
  if (isToken(word)) return { name: word.toLowerCase(), type: 'pure-token', token: word };
  const [name, type] = word.split(':') as [string, string | undefined];
  if (type === undefined && name === 'key') return { name, type: 'key', keySpecIndex: 0 };
  return { name, type: type ?? 'string' };
}

class Parser {
  private i = 0;
  constructor(private readonly t: string[]) {}

  /** A sequence of items up to a closing bracket or '|'. */
  seq(): ArgDoc[] {
    const out: ArgDoc[] = [];
    while (this.i < this.t.length) {
      const w = this.t[this.i]!;
      if (w === ']' || w === ')' || w === '|') break;
      out.push(this.item());
    }
    return out;
  }

  private opensGroup(): boolean {
    const n = this.t[this.i];
    if (n === '(' || n === '[') return true;
    return n !== undefined && /^[a-z][a-z0-9_-]*:$/.test(n) && (this.t[this.i + 1] === '(' || this.t[this.i + 1] === '[');
  }

  private item(): ArgDoc {
    let w = this.t[this.i++]!;
    let label: string | null = null;
    const m = /^([a-z][a-z0-9_-]*):$/.exec(w);
    if (m !== null && (this.t[this.i] === '[' || this.t[this.i] === '(')) { label = m[1]!; w = this.t[this.i++]!; }
    let doc: ArgDoc;
    if (w === '[' || w === '(') {
      const alts: ArgDoc[][] = [this.seq()];
      while (this.t[this.i] === '|') { this.i++; alts.push(this.seq()); }
      this.i++; // closing bracket
      if (alts.length > 1) {
        doc = { name: label ?? alts.map((a) => a[0]!.name).join('-'), type: 'oneof', arguments: alts.map((a) => (a.length === 1 ? a[0]! : { name: a.map((x) => x.name).join('-'), type: 'block', arguments: a })) };
      } else if (alts[0]!.length > 1) {
        doc = { name: label ?? alts[0]!.map((x) => x.name).join('_'), type: 'block', arguments: alts[0]! };
      } else {
        doc = { ...alts[0]![0]! };
      }
      if (w === '[') doc.optional = true;
    } else if (isToken(w) && this.opensGroup()) {
      // A token that introduces a group: FILTERBY (MODULE x|ACLCAT y).
      doc = { ...this.item(), token: w };
    } else if (isToken(w) && this.i < this.t.length && !isToken(this.t[this.i]!) && !/^[[\]()|]$/.test(this.t[this.i]!) && this.t[this.i] !== '...') {
      doc = { ...leaf(this.t[this.i++]!), token: w };
    } else {
      doc = leaf(w);
    }
    if (this.t[this.i] === '...') { this.i++; doc.multiple = true; }
    return doc;
  }
}

/** Parses a synopsis into COMMAND DOCS argument docs. */
export function parseSynopsis(s: string): ArgDoc[] {
  const t = tokenize(s.replace(/\.\.\./g, ' ... '));
  return new Parser(t).seq();
}
