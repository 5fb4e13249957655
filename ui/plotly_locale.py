"""Plotly's own words (toolbar titles, hints) in simplified Chinese, for dcc.Graph's config.

plotly.js translates its toolbar through a dictionary registered under ``config.locales``; the
app serves its own plotly.js bundle without plotly's locale files, so the page passes the few
strings its plots can show. Our translations, in the lab's vocabulary.
"""

from __future__ import annotations

ZH_CN = {
    "dictionary": {
        "Autoscale": "自动缩放",
        "Box Select": "框选",
        "Lasso Select": "套索选择",
        "Compare data on hover": "悬停时比较数据",
        "Show closest data on hover": "悬停时显示最近的数据",
        "Toggle show closest data on hover": "切换悬停时显示最近的数据",
        "Toggle Spike Lines": "切换辅助线",
        "Double-click on legend to isolate one trace": "双击图例只显示这一条",
        "Double-click to zoom back out": "双击恢复原来的范围",
        "Download plot as a png": "下载为 PNG",
        "Download plot as a PNG": "下载为 PNG",
        "Download plot": "下载图",
        "Download plot as PNG (2x)": "下载为 PNG（2 倍）",
        "Download plot as SVG (2x)": "下载为 SVG（2 倍）",
        "Pan": "平移",
        "Reset": "重置",
        "Reset axes": "重置坐标轴",
        "Reset camera to default": "视角恢复默认",
        "Reset camera to last save": "视角恢复上次保存",
        "Reset view": "重置视图",
        "Reset views": "重置视图",
        "Orbital rotation": "轨道旋转",
        "Turntable rotation": "转台旋转",
        "Zoom": "缩放",
        "Zoom in": "放大",
        "Zoom out": "缩小",
        "Produced with Plotly.js": "由 Plotly.js 绘制",
        "trace": "曲线",
        "min:": "最小值：",
        "max:": "最大值：",
    },
    "format": {"decimal": ".", "thousands": ","},
}


def graph_config(lang: str, **config) -> dict:
    """``config`` for a dcc.Graph, with plotly's words in ``lang``; never the "Share chart" button,
    which uploads the plot to Plotly Cloud (no classroom should send its data away by a click)."""
    config = {"showSendToCloud": False, **config}
    if lang == "zh":
        return {**config, "locale": "zh-CN", "locales": {"zh-CN": ZH_CN}}
    return {**config, "locale": "en"}
