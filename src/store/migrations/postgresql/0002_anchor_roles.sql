-- Trust anchors get roles (DESIGN.md "Anchors have roles"): what each anchor vouches for —
-- seal_maker (制章人), signer (签章人), tsa (时间戳) — comma-separated, and for a CA anchor
-- that vouches for seal makers the policy OIDs its maker certificates must carry
-- (comma-separated dotted OIDs).
--
-- Existing anchors keep what they were trusted for before roles existed: recognition and
-- filing chained a seal's maker certificate to any registered anchor, so a CA root vouched
-- both for its signer certificates and for its maker certificates. It becomes
-- seal_maker,signer, with makers narrowed to leaves carrying eseal's maker policy
-- (1.3.6.1.4.1.32473.1.1, what `eseal cert issue --role maker` writes); a registered maker
-- certificate becomes seal_maker. The operator can change both afterwards.
ALTER TABLE trust_anchors ADD COLUMN roles TEXT NOT NULL DEFAULT '';
ALTER TABLE trust_anchors ADD COLUMN maker_policies TEXT NOT NULL DEFAULT '';
UPDATE trust_anchors SET roles = 'seal_maker,signer', maker_policies = '1.3.6.1.4.1.32473.1.1'
  WHERE kind = 'ca_root';
UPDATE trust_anchors SET roles = 'seal_maker' WHERE kind = 'maker_certificate';
