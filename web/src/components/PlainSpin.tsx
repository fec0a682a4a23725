/** A page's loading ring before antd has loaded (antd's Spin is PageSpin): the same place, drawn by styles.css. */
export default function PlainSpin() {
  return (
    <div style={{ padding: 48, textAlign: 'center' }}>
      <span className="plain-spin" />
    </div>
  );
}
