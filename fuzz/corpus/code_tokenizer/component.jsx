import { useState } from "react";
export default function Pricing({ tiers }) {
  const [open, setOpen] = useState(null); // which FAQ is open
  const re = /[a-z]+\/\d{2}/gi;
  return (
    <section className="pricing" id={`p-${tiers.length}`}>
      {tiers.map((t) => <Tier key={t.id} {...t} onClick={() => setOpen(t.id)} />)}
      <p>Price: {"$" + t.price} /* not a comment */</p>
    </section>
  );
}
