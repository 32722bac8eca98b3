export default function Faq() {
  return <div className="faq" />;
}
