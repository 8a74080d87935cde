"""Delivery to the capture agency: pre-flight, the disc package, the 汇总表, fees, card data, proof sheets."""
